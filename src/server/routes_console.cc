// The officer console: static files of the built web/ app, and index.html for the console's own
// paths (it routes in the browser). Public: the console signs in through the API.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "server/app.h"

namespace cordon::server {
namespace {

std::string_view content_type_of(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".geojson" || ext == ".topojson") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Shown when the console has not been built: the API still works, and the page says how to
// get the console.
HttpResponse plain_index(const std::string& version) {
  std::string html = fmt::format(
      R"(<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cordon</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}}code{{background:#eee;padding:0 .2em}}</style>
</head><body><h1>Cordon {}</h1>
<p>The API is running. The officer console is not built on this machine: run <code>make run</code> from the
repository (it builds <code>web/</code>), or start <code>cordon serve --web-root PATH/TO/web/dist</code>.</p>
<ul>
<li><a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a> — the API description (OpenAPI 3)</li>
<li><a href="/healthz">/healthz</a> — health</li>
</ul></body></html>)",
      version);
  return HttpResponse::text(200, std::move(html), "text/html; charset=utf-8");
}

}  // namespace

void add_console_routes(Router& router, const AppContext& context) {
  std::filesystem::path root = context.web_root;
  std::string version = context.version;
  bool built = !root.empty() && std::filesystem::exists(root / "index.html");
  auto serve = [root, version, built](const HttpRequest& request) -> HttpResponse {
    if (request.path.starts_with("/api/")) {
      return HttpResponse::error(404, "not_found", fmt::format("no route {}", request.path));
    }
    if (!built) return plain_index(version);
    // Only files under the root: a path with ".." or a symlink out of it gets index.html.
    std::filesystem::path wanted = (root / std::filesystem::path(request.path).relative_path()).lexically_normal();
    auto relative = wanted.lexically_relative(root);
    bool inside = !relative.empty() && *relative.begin() != "..";
    if (inside && request.path != "/" && std::filesystem::is_regular_file(wanted)) {
      auto canonical_root = std::filesystem::weakly_canonical(root);
      auto canonical = std::filesystem::weakly_canonical(wanted);
      if (canonical.string().starts_with(canonical_root.string())) {
        if (auto body = read_file(canonical)) {
          HttpResponse response = HttpResponse::text(200, std::move(*body), std::string(content_type_of(canonical)));
          // Vite puts content hashes in asset names, so they never change under the same name.
          if (request.path.starts_with("/assets/")) {
            response.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
          }
          return response;
        }
      }
    }
    auto index = read_file(root / "index.html");
    if (!index) return plain_index(version);
    HttpResponse response = HttpResponse::text(200, std::move(*index), "text/html; charset=utf-8");
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                  "connect-src 'self'; frame-ancestors 'none'");
    return response;
  };
  router.add("GET", "/", "console.index", serve);
  router.set_get_fallback("console.files", serve);
}

}  // namespace cordon::server
