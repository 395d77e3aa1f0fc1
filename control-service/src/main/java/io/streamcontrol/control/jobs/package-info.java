/**
 * Jobs: their REST API ({@code api}), their lifecycle and stored state ({@code lifecycle}), the reconciliation loop
 * ({@code reconcile}) and their configuration ({@code settings}).
 */
package io.streamcontrol.control.jobs;
