package io.streamcontrol.control.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamcontrol.control.api.model.JobConfigurationDto;
import io.streamcontrol.control.audit.AuditLog;
import io.streamcontrol.control.api.model.JobSettingsDto;
import io.streamcontrol.control.jobs.settings.JobDefaults;
import io.streamcontrol.control.security.SecurityConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The console's sign-in (a password or an API key), session and CSRF rules, with the users and keys of the tests'
 * configuration: sessions reach the API (reads as they are, actions only with the session's CSRF token), while HTTP
 * basic and API key callers keep working without either.
 */
@WebMvcTest(ConsoleController.class)
@Import(SecurityConfiguration.class)
class ConsoleControllerTest {

    static final String API_KEY = "test-dashboard-key-0123456789";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobDefaults defaults;

    @MockitoBean
    AuditLog audit;

    MockHttpSession signIn(String user, String password) throws Exception {
        MvcResult result = mvc.perform(formLogin("/console/login").user(user).password(password))
                .andExpect(redirectedUrl("/console/")).andReturn();
        return (MockHttpSession) result.getRequest().getSession(false);
    }

    @Test
    void anonymousVisitorsAreSentToSignInAndTheSessionEndpointTellsNobodyIsSignedIn() throws Exception {
        mvc.perform(get("/console/")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/login.html"));
        mvc.perform(get("/console/job-defaults")).andExpect(status().isFound());
        mvc.perform(get("/console/session")).andExpect(status().isOk())
                .andExpect(jsonPath("$.user").doesNotExist())
                .andExpect(jsonPath("$.csrf.header").value("X-CSRF-TOKEN"))
                .andExpect(jsonPath("$.csrf.token").isNotEmpty());
        mvc.perform(get("/console/login.html")).andExpect(header().string("Content-Security-Policy",
                containsString("default-src 'self'")));
    }

    @Test
    void aWrongPasswordIsRefusedAndSignInNeedsTheCsrfToken() throws Exception {
        mvc.perform(formLogin("/console/login").user("test-viewer").password("wrong"))
                .andExpect(redirectedUrl("/console/login.html?error"));
        mvc.perform(post("/console/login").param("username", "test-viewer").param("password", "viewer-secret"))
                .andExpect(status().isForbidden());
    }

    @Test
    void theSessionTellsTheUserAndRole() throws Exception {
        mvc.perform(get("/console/session").session(signIn("test-viewer", "viewer-secret")))
                .andExpect(jsonPath("$.user").value("test-viewer")).andExpect(jsonPath("$.role").value("viewer"));
        mvc.perform(get("/console/session").session(signIn("test-operator", "operator-secret")))
                .andExpect(jsonPath("$.user").value("test-operator")).andExpect(jsonPath("$.role").value("operator"));
    }

    @Test
    void anApiKeySignsInAsItsNameAndRoleAndTheSessionReachesTheApi() throws Exception {
        mvc.perform(get("/console/session")).andExpect(jsonPath("$.signIn.password").value(true))
                .andExpect(jsonPath("$.signIn.apiKey").value(true)).andExpect(jsonPath("$.signIn.bearer").value(false));

        MockHttpSession before = new MockHttpSession();
        String anonymousId = before.getId();
        MvcResult signedIn = mvc.perform(post("/console/login/credential").session(before)
                        .param("credential", API_KEY).with(csrf()))
                .andExpect(redirectedUrl("/console/")).andReturn();
        MockHttpSession session = (MockHttpSession) signedIn.getRequest().getSession(false);
        assertThat(session.getId()).as("a new session id at sign-in").isNotEqualTo(anonymousId);
        mvc.perform(get("/console/session").session(session))
                .andExpect(jsonPath("$.user").value("test-dashboard")).andExpect(jsonPath("$.role").value("viewer"));
        mvc.perform(get("/api/jobs").session(session)).andExpect(status().isNotFound());
        mvc.perform(post("/api/jobs/demo/stop").session(session).with(csrf().asHeader()))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.detail").value(containsString("operator")));
    }

    @Test
    void anUnknownOrMissingApiKeyIsRefusedAndSigningInWithOneNeedsTheCsrfToken() throws Exception {
        for (String credential : new String[] {"not-a-key-of-this-service", "", "Bearer "}) {
            MvcResult refused = mvc.perform(post("/console/login/credential").param("credential", credential)
                    .with(csrf())).andExpect(redirectedUrl("/console/login.html?error=credential")).andReturn();
            mvc.perform(get("/console/session").session((MockHttpSession) refused.getRequest().getSession()))
                    .andExpect(jsonPath("$.user").doesNotExist());
        }
        mvc.perform(post("/console/login/credential").param("credential", API_KEY)).andExpect(status().isForbidden());
        // a key is a credential of its own on the API, unchanged: no session
        mvc.perform(get("/api/jobs").header("X-API-Key", API_KEY)).andExpect(status().isNotFound())
                .andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void theCreateFormsDefaultsComeFromTheJobs() throws Exception {
        when(defaults.configuration()).thenReturn(new JobConfigurationDto().settings(new JobSettingsDto()
                .batchInterval("5s")));
        mvc.perform(get("/console/job-defaults").session(signIn("test-viewer", "viewer-secret")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.settings.batchInterval").value("5s"));
    }

    /** No API controller is in this slice: 404 means the call passed security, 401/403 that it did not. */
    @Test
    void theApiTakesTheSessionForReadsAndForActionsOnlyWithItsCsrfToken() throws Exception {
        MockHttpSession viewer = signIn("test-viewer", "viewer-secret");
        mvc.perform(get("/api/jobs").session(viewer)).andExpect(status().isNotFound());
        mvc.perform(post("/api/jobs/demo/stop").session(viewer).with(csrf().asHeader()))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.detail").value(containsString("operator")));

        MockHttpSession operator = signIn("test-operator", "operator-secret");
        mvc.perform(post("/api/jobs/demo/stop").session(operator)).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString("CSRF")));
        mvc.perform(post("/api/jobs/demo/stop").session(operator).with(csrf().useInvalidToken().asHeader()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/jobs/demo/stop").session(operator).with(csrf().asHeader()))
                .andExpect(status().isNotFound());

        // callers with credentials of their own: no session, no CSRF, as before
        mvc.perform(post("/api/jobs/demo/stop").with(httpBasic("test-operator", "operator-secret")))
                .andExpect(status().isNotFound()).andExpect(header().doesNotExist("Set-Cookie"));
        mvc.perform(post("/api/jobs/demo/stop")).andExpect(status().isUnauthorized())
                .andExpect(header().exists("WWW-Authenticate"));
        mvc.perform(get("/api/jobs").header("X-Requested-With", "XMLHttpRequest"))
                .andExpect(status().isUnauthorized()).andExpect(header().doesNotExist("WWW-Authenticate"));
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        MockHttpSession operator = signIn("test-operator", "operator-secret");
        mvc.perform(post("/console/logout").session(operator).with(csrf()))
                .andExpect(redirectedUrl("/console/login.html?signed-out"));
        mvc.perform(get("/api/jobs").session(operator)).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", not(containsString("Bearer"))));
    }
}
