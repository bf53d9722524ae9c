// Runs Seam's own fake of the Seam Connect API (@seamapi/fake-seam-connect)
// as a conformance peer for the Go client in internal/seam.
//
// It binds to 127.0.0.1 on a free port, seeds a workspace, an API key and
// ButterflyMX connected accounts with panels straight into the fake's
// in-memory database, and prints one JSON ready line on stdout:
//
//   {"endpoint":"http://127.0.0.1:PORT","api_key":"seam_...","workspace_id":...,
//    "connected_account_id":...,"device_ids":[...],
//    "other_connected_account_id":...,"other_device_ids":[...],
//    "unmanaged_access_code_id":...}
//
// device_ids are the panels of connected_account_id, in the order the fake
// lists them (created_at, then device_id). The "other" account exists so that
// connected-account pagination has two pages and the connected_account_id
// filter has something to leave out.
//
// It exits on SIGTERM or SIGINT, and when its stdin closes, so a test script
// that dies without cleaning up does not leave it running. Run by hand with
// stdin from a terminal or a pipe, not from /dev/null (which closes at once).
//
// Never call POST /_fake/database on it: that replaces the store, after which
// every write answers 500.

import http from "node:http"
import { randomBytes, randomUUID } from "node:crypto"
import process from "node:process"

// Production mode keeps stack traces out of error replies. The fake reads
// NODE_ENV when its modules load, so set it before importing them.
process.env.NODE_ENV ??= "production"

// Logs go to stderr; stdout carries only the ready line.
for (const level of ["log", "info", "debug"]) {
  console[level] = (...args) => console.error(...args)
}

// The fake calls server.listen(port, cb) with no host, which listens on all
// interfaces. Pin every listen without a host to the loopback address.
const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || typeof args[0] === "string") {
    const [port, ...rest] = args
    const cb = rest.find((a) => typeof a === "function")
    return listen.call(this, { port: Number(port), host: "127.0.0.1" }, cb)
  }
  if (args[0] != null && typeof args[0] === "object" && args[0].host == null) {
    return listen.call(this, { ...args[0], host: "127.0.0.1" }, ...args.slice(1))
  }
  return listen.apply(this, args)
}

const { createFake } = await import("@seamapi/fake-seam-connect")

const fake = await createFake()
const db = fake.database

const hex = (n) => randomBytes(n).toString("hex")
// A fixed base time, one second apart, so the fake's list order (created_at,
// then device_id) is the seeding order.
const base = Date.now() - 3_600_000
const at = (i) => new Date(base + i * 1000).toISOString()

const workspace = db.addWorkspace({
  workspace_id: randomUUID(),
  name: "Conformance Workspace",
  company_name: "Conformance Co",
  is_sandbox: true,
  created_at: at(0),
})

// "seam_<short>_<long>"; the fake derives short_token from the part after
// "seam_". Avoid the seam_at/seam_cst1 prefixes, which it treats as other
// kinds of token.
const apiKey = db.addApiKey({
  name: "Conformance API Key",
  token: `seam_conf${hex(4)}_${hex(16)}`,
  workspace_id: workspace.workspace_id,
  created_at: at(0),
})

const addAccount = (email, i) =>
  db.addConnectedAccount({
    connected_account_id: randomUUID(),
    provider: "butterflymx",
    workspace_id: workspace.workspace_id,
    user_identifier: { email },
    display_name: email,
    account_type: "butterflymx",
    automatically_manage_new_devices: true,
    custom_metadata: {},
    accepted_capabilities: ["lock", "access_code"],
    created_at: at(i),
  })

const addPanel = (account, n, i) =>
  db.addDevice({
    device_id: randomUUID(),
    workspace_id: workspace.workspace_id,
    connected_account_id: account.connected_account_id,
    device_type: "butterflymx_panel",
    name: `Panel ${n}`,
    display_name: `Panel ${n}`,
    created_at: at(i),
    can_remotely_unlock: true,
    can_program_online_access_codes: true,
    properties: {
      name: `Panel ${n}`,
      manufacturer: "butterflymx",
      online: true,
      model: {
        display_name: "ButterflyMX Video Intercom",
        manufacturer_display_name: "ButterflyMX",
      },
    },
  })

const account = addAccount("manager@example.com", 1)
const devices = []
for (let n = 1; n <= 5; n++) devices.push(addPanel(account, n, 10 + n))

const other = addAccount("other@example.com", 2)
const otherDevices = [addPanel(other, 6, 20)]

// A code typed in on the other account's panel, which Seam does not manage:
// for /access_codes/unmanaged/list.
const unmanagedCode = db.addAccessCode({
  code: "731905",
  device_id: otherDevices[0].device_id,
  name: "Typed on the panel",
  workspace_id: workspace.workspace_id,
  type: "ongoing",
  status: "set",
  is_managed: false,
  created_at: at(30),
})

await fake.startServer({ port: 0 })
const address = fake.server.server.address()
if (address == null || typeof address === "string" || address.address !== "127.0.0.1") {
  console.error("fake server is not on 127.0.0.1:", address)
  process.exit(1)
}

process.stdout.write(
  JSON.stringify({
    endpoint: `http://127.0.0.1:${address.port}`,
    api_key: apiKey.token,
    workspace_id: workspace.workspace_id,
    connected_account_id: account.connected_account_id,
    device_ids: devices.map((d) => d.device_id),
    other_connected_account_id: other.connected_account_id,
    other_device_ids: otherDevices.map((d) => d.device_id),
    unmanaged_access_code_id: unmanagedCode.access_code_id,
  }) + "\n",
)

let stopping = false
const stop = (why) => {
  if (stopping) return
  stopping = true
  console.error(`fake-seam-connect: stopping (${why})`)
  // Kept-alive connections would hold server.close() open; nothing needs a
  // graceful drain here.
  fake.server?.server.closeAllConnections?.()
  fake.server?.server.close()
  process.exit(0)
}
process.on("SIGTERM", () => stop("SIGTERM"))
process.on("SIGINT", () => stop("SIGINT"))
process.stdin.on("end", () => stop("stdin closed"))
process.stdin.on("error", () => stop("stdin error"))
process.stdin.resume()
