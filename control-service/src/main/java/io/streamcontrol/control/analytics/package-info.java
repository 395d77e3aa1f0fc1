/**
 * The REST API over the job's tables: rollup series, running totals, top-N, raw events, rejects.
 */
package io.streamcontrol.control.analytics;
