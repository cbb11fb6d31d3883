"""The browsable API reference at /docs: Swagger UI from the swagger-ui-bundle package, served
locally (no CDN, no call to an online validator), reading /openapi.json."""
from __future__ import annotations

import pathlib

__all__ = ["DOCS_HTML", "DOCS_INIT_JS", "ASSETS", "assets_dir"]


def assets_dir() -> pathlib.Path:
    """The Swagger UI files installed with the swagger-ui-bundle package."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise RuntimeError("the API docs page needs swagger-ui-bundle: pip install swagger-ui-bundle") from exc
    return pathlib.Path(str(swagger_ui_path))


# The files of the package the page loads, with their media types.
ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript",
          "favicon-32x32.png": "image/png", "favicon-16x16.png": "image/png"}

DOCS_HTML = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>PartnerOS Metrics API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
  <style>body { margin: 0; background: #fafafa; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""

DOCS_INIT_JS = b"""window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
"""
