// The Seam routes a Go package names: every string literal in its non-test
// sources that is a path of the given OpenAPI spec. Read from the source, so
// a route added to the client or the emulator is covered without a list to
// keep in step.
import { readdirSync, readFileSync } from 'node:fs'

const root = new URL('../', import.meta.url)

export function routesIn(pkgDir, openapi) {
  const dir = new URL(pkgDir.endsWith('/') ? pkgDir : pkgDir + '/', root)
  const found = new Set()
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.go') || name.endsWith('_test.go')) continue
    for (const [, path] of readFileSync(new URL(name, dir), 'utf8').matchAll(/"(\/[a-z0-9_]+(?:\/[a-z0-9_]+)+)"/g)) {
      if (openapi.paths[path]) found.add(path)
    }
  }
  return [...found].sort()
}
