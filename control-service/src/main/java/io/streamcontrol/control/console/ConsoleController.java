package io.streamcontrol.control.console;

import java.util.LinkedHashMap;
import java.util.Map;
import io.streamcontrol.control.api.model.JobConfigurationDto;
import io.swagger.v3.oas.annotations.Hidden;
import io.streamcontrol.control.jobs.settings.JobDefaults;
import io.streamcontrol.control.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The web console: static pages under {@code /console/} (sign-in, jobs, a job, what it computed) that call the REST
 * API with the console's session. This controller adds only what a page cannot know by itself: who is signed in, with
 * which role, the session's CSRF token for the actions, and the defaults of a new job. It is no part of the API's
 * contract (hidden from the generated document).
 */
@Hidden
@Controller
class ConsoleController {

    private final JobDefaults jobDefaults;
    private final Map<String, Boolean> signInMethods;

    ConsoleController(JobDefaults jobDefaults, SecurityProperties security, ObjectProvider<JwtDecoder> jwt) {
        this.jobDefaults = jobDefaults;
        this.signInMethods = Map.of("password", !security.users().isEmpty(), "apiKey", !security.apiKeys().isEmpty(),
                "bearer", jwt.getIfAvailable() != null);
    }

    /** The console's single page. */
    @GetMapping({"/console", "/console/"})
    String console() {
        return "forward:/console/index.html";
    }

    /** The settings a new job takes when the create form leaves them empty. */
    @GetMapping(value = "/console/job-defaults", produces = "application/json")
    @ResponseBody
    JobConfigurationDto jobDefaults() {
        return jobDefaults.configuration();
    }

    /**
     * Who is signed in ({@code user} and {@code role} absent when nobody is), the CSRF token that every action (and the
     * sign-in forms) sends: {@code header} to send it as, {@code parameter} for forms; and the ways to sign in that
     * this service accepts ({@code signIn}: {@code password}, {@code apiKey}, {@code bearer}).
     */
    @GetMapping(value = "/console/session", produces = "application/json")
    @ResponseBody
    Map<String, Object> session(Authentication authentication, CsrfToken csrf) {
        Map<String, Object> session = new LinkedHashMap<>();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            session.put("user", authentication.getName());
            session.put("role", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .anyMatch(SecurityProperties.Role.OPERATOR.authority()::equals) ? "operator" : "viewer");
        }
        session.put("csrf", Map.of("header", csrf.getHeaderName(), "parameter", csrf.getParameterName(),
                "token", csrf.getToken()));
        session.put("signIn", signInMethods);
        return session;
    }
}
