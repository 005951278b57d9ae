#include <algorithm>

#include <fmt/format.h>

#include "supervision/protocols/framing.h"
#include "supervision/protocols/protocols.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {

namespace detail {

FrameError frame_error(std::string rule, std::string message, ByteView frame) {
  // Bounded so that a hostile peer cannot make the error log hold megabytes.
  constexpr std::size_t kMaxKept = 4096;
  auto kept = frame.first(std::min(frame.size(), kMaxKept));
  return FrameError{std::move(rule), std::move(message), Bytes(kept.begin(), kept.end())};
}

void add_event(Record& record, Event event) {
  if (std::find(record.events.begin(), record.events.end(), event) == record.events.end()) {
    record.events.push_back(event);
  }
}

Scan skip_to_next(ByteView buffer, std::string_view starts, std::string rule, std::string message) {
  std::size_t next = buffer.size();
  for (std::size_t i = 1; i < buffer.size(); ++i) {
    if (starts.find(static_cast<char>(buffer[i])) != std::string_view::npos) {
      next = i;
      break;
    }
  }
  return Scan{Scan::Status::kSkip, std::max<std::size_t>(next, 1), std::move(rule), std::move(message)};
}

}  // namespace detail

namespace {

class BufferedStreamDecoder final : public StreamDecoder {
 public:
  explicit BufferedStreamDecoder(std::unique_ptr<detail::ProtocolSession> session) : session_(std::move(session)) {}

  std::vector<FrameResult> feed(ByteView chunk) override {
    buffer_.insert(buffer_.end(), chunk.begin(), chunk.end());
    std::vector<FrameResult> results;
    std::size_t start = 0;
    while (start < buffer_.size()) {
      ByteView rest(buffer_.data() + start, buffer_.size() - start);
      detail::Scan scan = session_->scan(rest);
      if (scan.status == detail::Scan::Status::kNeedMore) {
        if (rest.size() <= session_->max_frame()) break;
        // A length field promising more than the protocol allows is garbage, not a frame to
        // wait for: waiting would let one bad byte stall the connection for good.
        results.push_back(std::unexpected(detail::frame_error(
            "frame_too_long",
            fmt::format("no complete frame within {} bytes; skipping to the next frame start", session_->max_frame()),
            rest)));
        start += 1;
        continue;
      }
      std::size_t length = std::clamp<std::size_t>(scan.length, 1, rest.size());
      ByteView frame = rest.first(length);
      if (scan.status == detail::Scan::Status::kIgnore) {
        // nothing to report
      } else if (scan.status == detail::Scan::Status::kFrame) {
        results.push_back(session_->decode(frame));
      } else {
        results.push_back(std::unexpected(detail::frame_error(std::move(scan.rule), std::move(scan.message), frame)));
      }
      start += length;
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start));
    return results;
  }

  const std::string& device_id() const override { return session_->device_id; }
  std::size_t buffered() const override { return buffer_.size(); }
  Protocol protocol() const override { return session_->protocol(); }

 private:
  std::unique_ptr<detail::ProtocolSession> session_;
  Bytes buffer_;
};

}  // namespace

bool is_stream_protocol(Protocol protocol) {
  return protocol != Protocol::kOsmand && protocol != Protocol::kCordonJson;
}

std::unique_ptr<StreamDecoder> make_stream_decoder(Protocol protocol) {
  std::unique_ptr<detail::ProtocolSession> session;
  switch (protocol) {
    case Protocol::kTeltonika: session = detail::make_teltonika_session(); break;
    case Protocol::kGt06: session = detail::make_gt06_session(); break;
    case Protocol::kJt808: session = detail::make_jt808_session(); break;
    case Protocol::kJt600: session = detail::make_jt600_session(); break;
    case Protocol::kEseal: session = detail::make_eseal_session(); break;
    case Protocol::kOsmand:
    case Protocol::kCordonJson: return nullptr;
  }
  if (!session) return nullptr;
  return std::make_unique<BufferedStreamDecoder>(std::move(session));
}

std::vector<FrameResult> decode_stream(Protocol protocol, ByteView bytes) {
  auto decoder = make_stream_decoder(protocol);
  if (!decoder) {
    return {std::unexpected(detail::frame_error("not_a_stream_protocol",
                                                fmt::format("{} is not a TCP protocol", protocol_name(protocol)), {}))};
  }
  auto results = decoder->feed(bytes);
  if (decoder->buffered() > 0) {
    results.push_back(std::unexpected(detail::frame_error(
        "truncated_frame", fmt::format("{} bytes at the end do not complete a frame", decoder->buffered()), {})));
  }
  return results;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::vector<FrameResult> decode_input(Protocol protocol, std::string_view input) {
  switch (protocol) {
    case Protocol::kOsmand: return {decode_osmand(trim(input))};
    case Protocol::kCordonJson: return {decode_cordon_json(input)};
    case Protocol::kEseal: {
      std::string text(trim(input));
      // Text pasted on a command line has lost its line end; the device sends one.
      if (text.empty() || text.back() != '\n') text += "\r\n";
      return decode_stream(protocol, as_bytes(text));
    }
    case Protocol::kJt600: {
      std::string_view text = trim(input);
      if (!text.empty() && text.front() == '(') return decode_stream(protocol, as_bytes(text));
      break;
    }
    default: break;
  }
  auto bytes = parse_hex(trim(input));
  if (!bytes) {
    return {std::unexpected(detail::frame_error(
        "not_hex", fmt::format("{} is a binary protocol: give the message as hex digits", protocol_name(protocol)),
        as_bytes(input)))};
  }
  return decode_stream(protocol, *bytes);
}

}  // namespace cordon::supervision::protocols
