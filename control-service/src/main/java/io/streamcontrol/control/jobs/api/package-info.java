/**
 * The jobs' REST API: the lifecycle operations and their views of jobs, configurations and history.
 */
package io.streamcontrol.control.jobs.api;
