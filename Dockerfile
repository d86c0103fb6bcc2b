# usermesh: build the jar, then run it on a JRE as a non-root user.
#   docker build -t usermesh .
#   docker run -p 8280:8280 \
#     -v "$PWD/config:/app/config:ro" -v usermesh-data:/app/data usermesh
# The management server (health, metrics) stays on the container's loopback, where the
# HEALTHCHECK reaches it; to scrape metrics from outside, add
#   -e USERMESH_MANAGEMENT_HOST=0.0.0.0 -p 127.0.0.1:9280:9280
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin usermesh
WORKDIR /app
COPY --from=build /src/target/usermesh.jar /app/usermesh.jar
COPY config /app/config
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R usermesh /app/data
USER usermesh
# Inside a container the business server must listen beyond loopback to be published.
ENV USERMESH_HTTP_HOST=0.0.0.0
VOLUME ["/app/data"]
EXPOSE 8280
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9280/observe/health || exit 1
STOPSIGNAL SIGTERM
# Out of heap: exit and be restarted rather than limp on.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/usermesh.jar"]
CMD ["run"]
