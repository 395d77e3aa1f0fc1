/**
 * A job's configuration: its settings, Spark resources and restart policy, validated, with the service's defaults,
 * and the arguments, Spark settings and environment of its launches.
 */
package io.streamcontrol.control.jobs.settings;
