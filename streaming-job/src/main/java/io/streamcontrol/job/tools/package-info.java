/**
 * Command-line tools shipped in the job jar: ask a job to stop, run a CQL query.
 */
package io.streamcontrol.job.tools;
