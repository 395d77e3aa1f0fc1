/**
 * The TCP source's wire protocol: the resume handshake and the framing of lines, spoken by the job's receivers and the
 * event generator.
 */
package io.streamcontrol.contract.source;
