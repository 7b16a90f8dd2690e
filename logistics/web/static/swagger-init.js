// Swagger UI of the API, from the package's own copy (no network needed). Requests carry the
// page's session cookie; changes also carry the session's CSRF token, as every API client must.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    requestInterceptor: function (request) {
      if (token && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRF-Token"] = token;
      }
      return request;
    }
  });
}());
