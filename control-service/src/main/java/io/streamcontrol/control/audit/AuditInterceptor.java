package io.streamcontrol.control.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every mutating call of the API once its response status is known, refused ones included: calls that reach a
 * controller here, calls the security chain refuses to an authenticated caller (403) from Spring Security's event.
 */
@Component
class AuditInterceptor implements HandlerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern JOB_PATH = Pattern.compile("^/api/jobs/([^/]+)");

    private final AuditLog log;

    AuditInterceptor(AuditLog log) {
        this.log = log;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        Principal principal = request.getUserPrincipal();
        record(request, principal != null ? principal.getName() : "anonymous", response.getStatus());
    }

    @EventListener
    void refused(AuthorizationDeniedEvent<?> event) {
        Authentication caller = event.getAuthentication().get();
        if (event.getObject() instanceof HttpServletRequest request && caller != null && caller.isAuthenticated()
                && !(caller instanceof AnonymousAuthenticationToken)) {
            record(request, caller.getName(), HttpStatus.FORBIDDEN.value());
        }
    }

    private void record(HttpServletRequest request, String caller, int status) {
        if (!MUTATING.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/")) {
            return;
        }
        String action = request.getMethod() + " " + request.getRequestURI();
        String detail = request.getQueryString();
        String idempotencyKey = request.getHeader("Idempotency-Key");
        if (idempotencyKey != null) {
            detail = (detail == null ? "" : detail + " ") + "Idempotency-Key=" + idempotencyKey;
        }
        AuditLog.Entry entry = new AuditLog.Entry(Instant.now(), caller, action, job(request), status, detail);
        log.record(entry).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Could not write audit entry {}: {}", entry, error.getMessage());
            }
        });
    }

    private static String job(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map && map.get("name") instanceof String name) {
            return name;
        }
        Matcher path = JOB_PATH.matcher(request.getRequestURI());
        return path.find() ? path.group(1) : null;
    }
}
