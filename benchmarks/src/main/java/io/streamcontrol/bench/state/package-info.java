/**
 * The state footprint: what the job's rollup state holds after each minute of input, through the job's own code.
 */
package io.streamcontrol.bench.state;
