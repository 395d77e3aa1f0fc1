/**
 * Leader election by a lease in the control keyspace: one replica runs the reconciliation loop.
 */
package io.streamcontrol.control.leader;
