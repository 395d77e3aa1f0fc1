/**
 * What the whole service shares: the control keyspace, the embedded Cassandra, problem details, paging, REST clients.
 */
package io.streamcontrol.control.system;
