package io.streamcontrol.control.security;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.AuthenticationConverter;

/** API keys of the {@code X-API-Key} header: the converter reads the header, the provider knows the keys. */
final class ApiKeys implements AuthenticationConverter, AuthenticationProvider {

    static final String HEADER = "X-API-Key";

    private record Known(byte[] digest, SecurityProperties.ApiKey key) {
    }

    private final List<Known> keys;

    ApiKeys(List<SecurityProperties.ApiKey> keys) {
        this.keys = keys.stream().map(k -> new Known(sha256(k.key()), k)).toList();
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        return key == null ? null : new PreAuthenticatedAuthenticationToken(HEADER, key);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        byte[] presented = sha256(String.valueOf(authentication.getCredentials()));
        SecurityProperties.ApiKey match = null;
        for (Known known : keys) {
            if (MessageDigest.isEqual(known.digest(), presented)) {
                match = known.key();
            }
        }
        if (match == null) {
            throw new BadCredentialsException("Unknown API key");
        }
        return new PreAuthenticatedAuthenticationToken(match.name(), null,
                AuthorityUtils.createAuthorityList(match.role().authority()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PreAuthenticatedAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
