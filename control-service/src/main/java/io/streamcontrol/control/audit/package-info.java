/**
 * The audit log: who asked for which lifecycle change, and its REST API.
 */
package io.streamcontrol.control.audit;
