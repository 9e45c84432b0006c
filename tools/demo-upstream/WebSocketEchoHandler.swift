import NIOCore
import NIOWebSocket

/// `/live/ws`: echoes text and binary frames, answers pings, completes the closing handshake.
final class WebSocketEchoHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text, .binary, .continuation:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: frame.fin, opcode: frame.opcode, data: payload)), promise: nil)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: payload)), promise: nil)
        case .connectionClose:
            let code = payload.readInteger(as: UInt16.self) ?? 1000
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))).whenComplete { _ in
                channel.close(promise: nil)
            }
        default:
            break
        }
    }
}
