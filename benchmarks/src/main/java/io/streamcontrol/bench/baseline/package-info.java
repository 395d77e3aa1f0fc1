/**
 * The baseline job the ingest benchmark compares with: the seed's job re-created plainly.
 */
package io.streamcontrol.bench.baseline;
