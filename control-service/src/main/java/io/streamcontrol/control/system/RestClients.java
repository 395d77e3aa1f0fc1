package io.streamcontrol.control.system;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The service's clients of Spark's HTTP servers (a driver's UI, a standalone master's REST submission server). */
public final class RestClients {

    private RestClients() {
    }

    /**
     * A client over the JDK's HTTP/1.1 client that follows redirects: connecting times out after {@code connect}, an
     * answer after {@code read}.
     */
    public static RestClient.Builder jdk(Duration connect, Duration read) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(read);
        return RestClient.builder().requestFactory(requests);
    }
}
