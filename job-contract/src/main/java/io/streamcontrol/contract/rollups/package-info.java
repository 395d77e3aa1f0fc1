/**
 * The rollup vocabulary the job writes and the service queries by: dimensions and time granularities.
 */
package io.streamcontrol.contract.rollups;
