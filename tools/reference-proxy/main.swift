// The reference proxy: the least an HTTP/1 keep-alive proxy does on SwiftNIO, for
// tools/bench-reference.sh to measure beside nginx and Gatehouse (not a product, not a test).
//
//   reference-proxy proxy PORT UPSTREAM_PORT    relays each request to 127.0.0.1:UPSTREAM_PORT
//   reference-proxy hit PORT                    answers each request with one stored response
//
// One event loop (like nginx's one worker); requests without bodies, one at a time per
// connection; no routing, no header edits, no logging, no error handling. What it measures is
// the floor Gatehouse's own per-request work stands on: the same sockets, event loop and
// keep-alive upstream pool, with HTTP reduced to finding where each message ends.
import NIOCore
import NIOPosix

let arguments = CommandLine.arguments
guard arguments.count >= 3, let port = Int(arguments[2]), ["proxy", "hit"].contains(arguments[1]) else {
    print("usage: reference-proxy proxy PORT UPSTREAM_PORT | reference-proxy hit PORT")
    exit(2)
}
let storedResponse: ByteBuffer? = arguments[1] == "hit" ? StoredResponse.make() : nil
let upstreamPort = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let pool = try loop.submit { NIOLoopBound(IdleUpstreams(port: upstreamPort), eventLoop: loop) }.wait()
let server = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ClientSide(upstreams: pool.value, storedResponse: storedResponse))
        }
    }
    .bind(host: "127.0.0.1", port: port).wait()
try server.closeFuture.wait()
