/**
 * Kryo serializers of what Spark moves or stores: received lines and the job's records.
 */
package io.streamcontrol.job.kryo;
