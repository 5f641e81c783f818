-- wrk script: cycle through the public page types, like a crowd of readers.
local paths = {
  "/events/lokakarya-perdana-program-prioritas-2018-09-26/",
  "/en/events/lokakarya-perdana-program-prioritas-2018-09-26/",
  "/",
  "/events/",
  "/events/?page=2",
  "/focus-areas/3/",
  "/people/lauren-sorkin/",
  "/search/?q=banjir",
  "/events/bench-lokakarya-7/",
  "/sitemap.xml",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
