/**
 * Where lines come from: the source port, the TCP receivers, and each batch's lines one source partition per task.
 */
package io.streamcontrol.job.source;
