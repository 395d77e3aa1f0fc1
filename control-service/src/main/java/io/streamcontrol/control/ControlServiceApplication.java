package io.streamcontrol.control;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ControlServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ControlServiceApplication.class, args);
    }
}
