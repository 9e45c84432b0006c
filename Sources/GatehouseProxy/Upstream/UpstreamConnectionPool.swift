import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The keep-alive connections of one event loop to every upstream address: most recently used
/// idle connection first, at most `maxConnections` per address, requests beyond that wait
/// (FIFO, bounded by the connect timeout) for one to come back. Loop-confined: no locks.
final class UpstreamConnectionPool {
    /// No connection became free in time.
    struct Exhausted: Error, CustomStringConvertible {
        let address: UpstreamAddress
        var description: String { "all connections to \(address) are busy" }
    }

    /// Receives the leased connection (or why there is none), on the pool's loop.
    typealias LeaseCallback = (Result<UpstreamConnection, any Error>) -> Void

    private struct Waiter {
        let callback: LeaseCallback
        let timeout: Scheduled<Void>
        let id: Int
    }

    private let eventLoop: any EventLoop
    private let tls: NIOSSLContext
    private let flushes: TickFlushes
    /// Idle connections per address, most recently used last. A reference per address, so
    /// taking and returning one never rewrites the dictionary's entry.
    private final class IdleConnections {
        let address: UpstreamAddress
        var connections: [UpstreamConnection] = []

        init(address: UpstreamAddress) { self.address = address }
    }

    private var idle: [UpstreamAddress: IdleConnections] = [:]
    /// The idle list found last: consecutive requests mostly go to one address, and comparing
    /// it (its strings are the instance's, so equal ones are one storage) costs less than
    /// hashing it. The list holds its address, so the check copies nothing out.
    private var lastIdle: IdleConnections?
    private var open: [UpstreamAddress: Int] = [:]
    /// Requests waiting for a connection, per address that has any (no empty queues: a pool
    /// without waiters answers without a lookup).
    private var waiters: [UpstreamAddress: [Waiter]] = [:]
    private var connectTimeouts: [UpstreamAddress: TimeAmount] = [:]
    private var nextWaiterID = 0

    /// `tls` is used for `https` instances.
    init(eventLoop: any EventLoop, tls: NIOSSLContext, flushes: TickFlushes) {
        self.eventLoop = eventLoop
        self.tls = tls
        self.flushes = flushes
    }

    /// The most recently used idle connection to `address` that is still open, if any — the
    /// common case, answered without a callback.
    func takeIdle(_ address: UpstreamAddress) -> UpstreamConnection? {
        guard let list = idleConnections(to: address) else { return nil }
        while let connection = list.connections.popLast() {
            if connection.isActive { return connection }
        }
        return nil
    }

    /// A connection to `address` for one request: an idle one, a new one, or the next one released.
    func lease(_ address: UpstreamAddress, maxConnections: Int, connectTimeout: TimeAmount, then callback: @escaping LeaseCallback) {
        if let connection = takeIdle(address) { return callback(.success(connection)) }
        if open[address, default: 0] < max(1, maxConnections) {
            return connect(address, timeout: connectTimeout, then: callback)
        }
        connectTimeouts[address] = connectTimeout
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = eventLoop.assumeIsolated().scheduleTask(in: connectTimeout) { [self] in
            waiters[address]?.removeAll { $0.id == id }
            if waiters[address]?.isEmpty == true { waiters[address] = nil }
            callback(.failure(Exhausted(address: address)))
        }
        waiters[address, default: []].append(Waiter(callback: callback, timeout: timeout, id: id))
    }

    /// Returns a connection after its exchange ended; one that cannot carry another request is closed.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        connection.delegate = nil
        connection.setReadsPaused(false)
        guard reusable, connection.isActive else {
            connection.close()
            return
        }
        if !waiters.isEmpty, let waiter = nextWaiter(for: connection.address) {
            waiter.timeout.cancel()
            waiter.callback(.success(connection))
            return
        }
        if let list = idleConnections(to: connection.address) {
            list.connections.append(connection)
        } else {
            let list = IdleConnections(address: connection.address)
            list.connections.append(connection)
            idle[connection.address] = list
        }
    }

    /// The idle list of `address`, if it has one.
    private func idleConnections(to address: UpstreamAddress) -> IdleConnections? {
        if let lastIdle, lastIdle.address == address { return lastIdle }
        guard let list = idle[address] else { return nil }
        lastIdle = list
        return list
    }

    /// Takes the longest waiter for `address` off its queue, if it has one.
    private func nextWaiter(for address: UpstreamAddress) -> Waiter? {
        guard var queue = waiters[address], !queue.isEmpty else { return nil }
        let waiter = queue.removeFirst()
        waiters[address] = queue.isEmpty ? nil : queue
        return waiter
    }

    /// Closes every idle connection (shutdown).
    func closeIdle() {
        for list in idle.values {
            for connection in list.connections { connection.close() }
        }
        idle.removeAll()
        lastIdle = nil
    }

    private func connect(_ address: UpstreamAddress, timeout: TimeAmount, then callback: @escaping LeaseCallback) {
        open[address, default: 0] += 1
        let tls = address.isTLS ? self.tls : nil
        let flushes = NIOLoopBound(self.flushes, eventLoop: eventLoop)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(try address.tlsHandler(tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler(flushes: flushes.value))
                }
            }
            .connect(host: address.host, port: address.port)
        connected.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                guard let handler = try? channel.pipeline.syncOperations.handler(type: UpstreamHandler.self) else {
                    channel.close(promise: nil)
                    open[address, default: 1] -= 1
                    return callback(.failure(UpstreamHandler.ConnectionClosed()))
                }
                let connection = UpstreamConnection(channel: channel, address: address, handler: handler)
                // Strong: the pool lives as long as its event loop, and the closure goes with the channel.
                connection.onClose = { [self] connection in forget(connection, at: address) }
                callback(.success(connection))
            case .failure(let error):
                open[address, default: 1] -= 1
                callback(.failure(error))
            }
        }
    }

    private func forget(_ connection: UpstreamConnection, at address: UpstreamAddress) {
        open[address, default: 1] -= 1
        idleConnections(to: address)?.connections.removeAll { $0 === connection }
        // A slot opened: the longest waiter gets a fresh connection.
        guard let waiter = nextWaiter(for: address) else { return }
        waiter.timeout.cancel()
        connect(address, timeout: connectTimeouts[address] ?? .seconds(5), then: waiter.callback)
    }
}
