/**
 * The event generator: a TCP server of sales orders at a target rate, event N a pure function of the seed and N.
 */
package io.streamcontrol.generator;
