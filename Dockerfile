# syntax=docker/dockerfile:1

# Build: a static binary, so the runtime image needs no libc.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# Only the service's packages: keeps .run/ (local binaries, a Postgres data
# folder) and other local state out of the image.
COPY cmd/intake ./cmd/intake
COPY intake ./intake
COPY handlers ./handlers
COPY mail ./mail
COPY migrations ./migrations
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/intake ./cmd/intake

# Run: distroless static, as its non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/intake /usr/local/bin/intake
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/intake"]
CMD ["serve"]
