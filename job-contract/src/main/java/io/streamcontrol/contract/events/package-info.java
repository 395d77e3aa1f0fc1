/**
 * The events a job reads: the default event, a sales order line, with its wire formats (CSV, JSON).
 */
package io.streamcontrol.contract.events;
