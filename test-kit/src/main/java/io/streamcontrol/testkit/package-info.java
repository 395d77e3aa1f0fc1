/**
 * What tests and benchmarks share: the independent recomputation of a job's tables from the generator's lines, their
 * comparison with the tables, the reference parser, and spark-submit of the packaged job.
 */
package io.streamcontrol.testkit;
