#include "server/telemetry/telemetry_server.h"

#include <mosquitto.h>

#include <atomic>
#include <deque>
#include <set>
#include <thread>

#include <boost/asio.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "server/http_server.h"
#include "supervision/protocols/commands.h"

namespace cordon::server::telemetry {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
namespace proto = cordon::supervision::protocols;

std::atomic<std::uint64_t> g_next_connection{1};

// One device connection: reads, decodes, answers in frame order, forwards messages, writes
// commands. Everything runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, proto::Protocol protocol, assessment::SupervisionService& service,
             std::chrono::seconds idle_timeout)
      : socket_(std::move(socket)),
        strand_(asio::make_strand(socket_.get_executor())),
        timer_(strand_),
        decoder_(proto::make_stream_decoder(protocol)),
        protocol_(protocol),
        service_(service),
        idle_timeout_(idle_timeout),
        id_(g_next_connection++) {}

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      self->arm_timer();
      self->read();
    });
  }

 private:
  void arm_timer() {
    timer_.expires_after(idle_timeout_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->close();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->arm_timer();
                              self->on_bytes(n);
                              self->read();
                            }));
  }

  void on_bytes(std::size_t n) {
    // The replies to every frame of this chunk go out in one write, in frame order.
    proto::Bytes replies;
    for (auto& result : decoder_->feed(proto::ByteView(buffer_.data(), n))) {
      if (!result) {
        spdlog::debug("{} frame refused: {} ({})", proto::protocol_name(protocol_), result.error().rule, result.error().message);
        continue;
      }
      if (result->message.device_id.empty()) result->message.device_id = decoder_->device_id();
      bool queued = true;
      if (!result->message.device_id.empty()) {
        attach(result->message.device_id);
        queued = service_.submit(std::move(result->message));
      }
      // A frame the full queue refused gets no reply, so the device keeps it and sends it again
      // (as for a frame whose checksum fails): an acknowledged record must not be lost.
      if (queued) replies.insert(replies.end(), result->reply.begin(), result->reply.end());
    }
    if (!replies.empty()) write(std::move(replies));
  }

  // A connection may carry several devices (a gateway, a concentrator, the network bench): each
  // is attached once, on its first frame, and commands for any of them go out on it. Attaching
  // again on every frame would take the service's locks on every frame.
  void attach(const std::string& device) {
    if (attached_.contains(device)) return;
    attached_.insert(device);
    std::weak_ptr<Connection> weak = shared_from_this();
    service_.attach_device(device, id_, [weak](const supervision::DeviceCommand& command) {
      auto self = weak.lock();
      if (!self) return false;
      auto bytes = proto::encode_command(self->protocol_, command.device_id, command.command,
                                         static_cast<std::uint16_t>(command.id));
      if (!bytes) return false;
      asio::post(self->strand_, [self, b = std::move(*bytes)]() mutable { self->write(std::move(b)); });
      return true;
    });
  }

  void write(proto::Bytes bytes) {
    writes_.push_back(std::move(bytes));
    if (writes_.size() == 1) write_next();
  }

  void write_next() {
    asio::async_write(socket_, asio::buffer(writes_.front()),
                      asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->writes_.pop_front();
                        if (!self->writes_.empty()) self->write_next();
                      }));
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    for (const auto& device : attached_) service_.detach_device(device, id_);
  }

  tcp::socket socket_;
  asio::strand<tcp::socket::executor_type> strand_;
  asio::steady_timer timer_;
  std::unique_ptr<proto::StreamDecoder> decoder_;
  proto::Protocol protocol_;
  assessment::SupervisionService& service_;
  std::chrono::seconds idle_timeout_;
  std::uint64_t id_;
  std::array<std::uint8_t, 16384> buffer_{};
  std::deque<proto::Bytes> writes_;
  std::set<std::string, std::less<>> attached_;  // every device seen on this connection
  bool closed_ = false;
};

struct MqttContext {
  assessment::SupervisionService* service;
  std::string topic;
};

struct TcpListener {
  tcp::acceptor acceptor;
  proto::Protocol protocol;
};

}  // namespace

struct TelemetryServer::Impl {
  assessment::SupervisionService& service;
  TelemetryOptions options;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::unique_ptr<TcpListener>> tcp;
  std::vector<std::thread> threads;
  std::vector<ListenerInfo> infos;
  std::vector<std::unique_ptr<HttpServer>> http;
  std::vector<std::thread> http_threads;
  std::vector<mosquitto*> mqtt;
  std::vector<std::unique_ptr<MqttContext>> mqtt_contexts;
  bool started = false;

  Impl(assessment::SupervisionService& s, TelemetryOptions o) : service(s), options(o) {}

  void accept(TcpListener& l) {
    l.acceptor.async_accept(asio::make_strand(io), [this, &l](boost::system::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Connection>(std::move(socket), l.protocol, service, options.idle_timeout)->start();
      }
      accept(l);
    });
  }
};

TelemetryServer::TelemetryServer(assessment::SupervisionService& service, TelemetryOptions options)
    : impl_(std::make_unique<Impl>(service, options)) {}

TelemetryServer::~TelemetryServer() { stop(); }

std::expected<ListenerInfo, std::string> TelemetryServer::add_tcp(proto::Protocol protocol, const std::string& address,
                                                                  std::uint16_t port) {
  if (!proto::is_stream_protocol(protocol)) {
    return std::unexpected(fmt::format("{} is not a TCP protocol", proto::protocol_name(protocol)));
  }
  try {
    tcp::endpoint endpoint(asio::ip::make_address(address), port);
    auto l = std::make_unique<TcpListener>(TcpListener{tcp::acceptor(impl_->io), protocol});
    l->acceptor.open(endpoint.protocol());
    l->acceptor.set_option(asio::socket_base::reuse_address(true));
    l->acceptor.bind(endpoint);
    l->acceptor.listen(asio::socket_base::max_listen_connections);
    ListenerInfo info{std::string(proto::protocol_name(protocol)),
                      fmt::format("{}:{}", address, l->acceptor.local_endpoint().port()),
                      l->acceptor.local_endpoint().port()};
    impl_->tcp.push_back(std::move(l));
    impl_->infos.push_back(info);
    return info;
  } catch (const std::exception& e) {
    return std::unexpected(fmt::format("{} on {}:{}: {}", proto::protocol_name(protocol), address, port, e.what()));
  }
}

std::expected<ListenerInfo, std::string> TelemetryServer::add_osmand(const std::string& address, std::uint16_t port) {
  auto router = std::make_shared<Router>();
  assessment::SupervisionService* service = &impl_->service;
  Handler handler = [service](const HttpRequest& request) {
    auto decoded = proto::decode_osmand(request.target, request.body);
    if (!decoded) return HttpResponse::error(400, decoded.error().rule, decoded.error().message);
    if (!service->submit(std::move(decoded->message))) return HttpResponse::error(503, "busy", "the ingest queue is full");
    return HttpResponse::text(200, "");
  };
  router->add("GET", "/", "osmand.get", handler);
  router->add("POST", "/", "osmand.post", handler);
  HttpServerOptions options;
  options.address = address;
  options.port = port;
  options.io_threads = 1;
  options.worker_threads = 2;
  options.body_limit_bytes = 64 * 1024;
  options.access_log = false;
  try {
    auto server = std::make_unique<HttpServer>(options, router, nullptr);
    ListenerInfo info{"osmand", fmt::format("{}:{}", address, server->port()), server->port()};
    impl_->http.push_back(std::move(server));
    impl_->infos.push_back(info);
    return info;
  } catch (const std::exception& e) {
    return std::unexpected(fmt::format("osmand on {}:{}: {}", address, port, e.what()));
  }
}

std::expected<ListenerInfo, std::string> TelemetryServer::add_mqtt(const std::string& host, std::uint16_t port,
                                                                   const std::string& topic) {
  static const int initialised = mosquitto_lib_init();
  (void)initialised;
  auto context = std::make_unique<MqttContext>(MqttContext{&impl_->service, topic});
  mosquitto* client = mosquitto_new(nullptr, true, context.get());
  if (!client) return std::unexpected(std::string("mqtt: cannot create a client"));
  mosquitto_message_callback_set(client, [](mosquitto*, void* user, const mosquitto_message* message) {
    auto* ctx = static_cast<MqttContext*>(user);
    std::string_view payload(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen));
    auto decoded = proto::decode_cordon_json(payload);
    if (!decoded) {
      spdlog::warn("mqtt message on {} refused: {}", message->topic, decoded.error().message);
      return;
    }
    ctx->service->submit(std::move(decoded->message));
  });
  // Subscribing on every (re)connection: the broker forgets a clean session's subscriptions.
  mosquitto_connect_callback_set(client, [](mosquitto* m, void* user, int rc) {
    if (rc == 0) mosquitto_subscribe(m, nullptr, static_cast<MqttContext*>(user)->topic.c_str(), 1);
  });
  int rc = mosquitto_connect(client, host.c_str(), port, 30);
  if (rc != MOSQ_ERR_SUCCESS) {
    mosquitto_destroy(client);
    return std::unexpected(fmt::format("mqtt: cannot connect to {}:{}: {}", host, port, mosquitto_strerror(rc)));
  }
  impl_->mqtt_contexts.push_back(std::move(context));
  impl_->mqtt.push_back(client);
  ListenerInfo info{"mqtt", fmt::format("mqtt://{}:{}/{}", host, port, topic), port};
  impl_->infos.push_back(info);
  return info;
}

void TelemetryServer::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->work.emplace(impl_->io.get_executor());
  for (auto& l : impl_->tcp) impl_->accept(*l);
  for (int i = 0; i < impl_->options.io_threads; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  for (auto& s : impl_->http) impl_->http_threads.emplace_back([server = s.get()] { server->run(); });
  for (auto* m : impl_->mqtt) mosquitto_loop_start(m);
}

void TelemetryServer::stop() {
  for (auto* m : impl_->mqtt) {
    mosquitto_disconnect(m);
    if (impl_->started) mosquitto_loop_stop(m, true);
    mosquitto_destroy(m);
  }
  impl_->mqtt.clear();
  for (auto& s : impl_->http) s->stop();
  for (auto& t : impl_->http_threads) t.join();
  impl_->http_threads.clear();
  impl_->http.clear();
  for (auto& l : impl_->tcp) {
    boost::system::error_code ignored;
    l->acceptor.close(ignored);
  }
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

const std::vector<ListenerInfo>& TelemetryServer::listeners() const { return impl_->infos; }

}  // namespace cordon::server::telemetry
