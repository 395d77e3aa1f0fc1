/**
 * The parser benchmark: the job's line parser against the parser before its rewrite, time and allocated bytes per line.
 */
package io.streamcontrol.bench.parser;
