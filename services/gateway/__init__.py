"""The HTTP gateway: HTTP/JSON in front of every service, derived from the protos.

- routes.py / httprule.py: the route table from each method's google.api.http rule;
- codec.py / wkt.py: proto3 JSON <-> messages, compiled per message type;
- transcode.py / fastpath.py: HTTP request -> RPC request (and the ingest fast path), response -> JSON;
- errors.py: one error shape, one gRPC -> HTTP status table;
- limits.py / config.py: body size, deadline and per-credential rate limits;
- openapi.py / comments.py / docs.py: the OpenAPI document and the offline docs page;
- upstream.py, app.py, server.py, plugin.py: calling the services, the ASGI app, uvicorn in a thread,
  and the service plugin named "gateway".
"""
