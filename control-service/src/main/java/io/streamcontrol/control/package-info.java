/**
 * The control service: starts, stops, reconfigures and watches streaming jobs, and serves what they computed.
 */
package io.streamcontrol.control;
