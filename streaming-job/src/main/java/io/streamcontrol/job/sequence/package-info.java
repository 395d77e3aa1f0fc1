/**
 * Per source, in sequence order: duplicates dropped, lateness decided, the marks a commit records.
 */
package io.streamcontrol.job.sequence;
