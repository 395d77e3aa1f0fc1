/**
 * Batch metrics read from the Spark monitoring REST API, exported to Micrometer and served over REST.
 */
package io.streamcontrol.control.metrics;
