package io.streamcontrol.control.security;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.streamcontrol.control.audit.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OAuth2 resource server option: bearer tokens signed by the configured key are accepted, with roles from their
 * {@code roles} claim; forged, expired and role-less tokens are not. The same holds for the console's sign-in with a
 * token, whose session ends when the token expires.
 */
@WebMvcTest(controllers = JwtAuthenticationTest.Probe.class)
@Import({SecurityConfiguration.class, JwtAuthenticationTest.Probe.class})
class JwtAuthenticationTest {

    /** An API endpoint that answers when the security chain lets the call through. */
    @RestController
    static class Probe {
        @GetMapping("/api/probe")
        String read() {
            return "read";
        }

        @PostMapping("/api/probe")
        String run() {
            return "ran";
        }
    }

    static final KeyPair ISSUER = keyPair();
    static final KeyPair FORGER = keyPair();

    @DynamicPropertySource
    static void issuerKey(DynamicPropertyRegistry registry) throws Exception {
        Path pem = Files.createTempFile("issuer", ".pem");
        pem.toFile().deleteOnExit();
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuditLog audit;

    static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(KeyPair signer, List<String> roles, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("carol").claim("roles", roles)
                .issueTime(new Date()).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(signer.getPrivate()));
        return jwt.serialize();
    }

    @Test
    void aViewerTokenReadsButDoesNotRunAndAnOperatorTokenDoesBoth() throws Exception {
        String viewer = "Bearer " + token(ISSUER, List.of("viewer"), Instant.now().plusSeconds(300));
        mvc.perform(get("/api/probe").header("Authorization", viewer))
                .andExpect(status().isOk()).andExpect(content().string("read"));
        mvc.perform(post("/api/probe").header("Authorization", viewer))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        String operator = "Bearer " + token(ISSUER, List.of("operator"), Instant.now().plusSeconds(300));
        mvc.perform(get("/api/probe").header("Authorization", operator)).andExpect(status().isOk());
        mvc.perform(post("/api/probe").header("Authorization", operator))
                .andExpect(status().isOk()).andExpect(content().string("ran"));
    }

    @Test
    void aTokenWithoutARoleIs403() throws Exception {
        mvc.perform(get("/api/probe").header("Authorization",
                        "Bearer " + token(ISSUER, List.of("auditor"), Instant.now().plusSeconds(300))))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    /** The console's sign-in with a bearer token: the session holds the token's caller until the token expires. */
    @Test
    void aTokenSignsInToTheConsoleForAsLongAsItIsValid() throws Exception {
        String token = token(ISSUER, List.of("operator"), Instant.now().plusSeconds(3));
        MvcResult signedIn = mvc.perform(post("/console/login/credential").param("credential", "Bearer " + token)
                        .with(csrf()))
                .andExpect(redirectedUrl("/console/")).andReturn();
        MockHttpSession session = (MockHttpSession) signedIn.getRequest().getSession(false);
        mvc.perform(get("/api/probe").session(session)).andExpect(status().isOk());
        mvc.perform(post("/api/probe").session(session).with(csrf().asHeader()))
                .andExpect(status().isOk()).andExpect(content().string("ran"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                mvc.perform(get("/api/probe").session(session)).andExpect(status().isUnauthorized()));
    }

    @Test
    void forgedExpiredAndRolelessTokensDoNotSignInToTheConsole() throws Exception {
        for (String token : List.of(token(FORGER, List.of("operator"), Instant.now().plusSeconds(300)),
                // within the decoder's clock skew, yet expired: a session would end at once
                token(ISSUER, List.of("operator"), Instant.now().minusSeconds(10)),
                token(ISSUER, List.of("auditor"), Instant.now().plusSeconds(300)))) {
            mvc.perform(post("/console/login/credential").param("credential", token).with(csrf()))
                    .andExpect(redirectedUrl("/console/login.html?error=credential"));
        }
    }

    @Test
    void forgedAndExpiredTokensAre401() throws Exception {
        for (String token : List.of(token(FORGER, List.of("operator"), Instant.now().plusSeconds(300)),
                token(ISSUER, List.of("operator"), Instant.now().minusSeconds(300)), "not-a-jwt")) {
            mvc.perform(get("/api/probe").header("Authorization", "Bearer " + token))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(401));
        }
    }
}
