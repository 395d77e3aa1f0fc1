/**
 * The tables the job and the service both use: the keyspace schema, stop requests, driver and standby rows.
 */
package io.streamcontrol.contract.tables;
