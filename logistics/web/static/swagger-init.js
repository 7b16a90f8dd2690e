// Swagger UI of the API, from the package's own copy (no network needed).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
