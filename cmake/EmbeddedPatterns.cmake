# The kinds of file under resources/ compiled into the binary (cmake/EmbedResources.cmake, and
# cmake/GenerateEmbedded.cmake at build time): data and definitions (.csv, .sev, .toml) and the
# dashboard `severn serve` sends (resources/web: .html, .js, .css, .svg).
set(SEVERN_EMBEDDED_PATTERNS "*.csv" "*.sev" "*.toml" "*.html" "*.js" "*.css" "*.svg")
