// One libFuzzer target per protocol decoder, selected by CORDON_FUZZ_PROTOCOL (a Protocol
// enumerator). Stream protocols get the input in two chunks split where the first byte says,
// so that the framing's resume-after-partial-frame path is fuzzed as much as whole frames.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "supervision/protocols/message_json.h"
#include "supervision/protocols/protocols.h"

namespace protocols = cordon::supervision::protocols;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr protocols::Protocol protocol = protocols::Protocol::CORDON_FUZZ_PROTOCOL;
  auto render = [](const auto& result) {
    if (result) (void)protocols::to_json(result->message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if constexpr (protocol == protocols::Protocol::kOsmand) {
    render(protocols::decode_osmand(std::string_view(reinterpret_cast<const char*>(data), size)));
  } else if constexpr (protocol == protocols::Protocol::kCordonJson) {
    render(protocols::decode_cordon_json(std::string_view(reinterpret_cast<const char*>(data), size)));
  } else {
    auto decoder = protocols::make_stream_decoder(protocol);
    std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
    for (const auto& r : decoder->feed(protocols::ByteView(data, split))) render(r);
    for (const auto& r : decoder->feed(protocols::ByteView(data + split, size - split))) render(r);
    if (decoder->buffered() > 65536 + 16) __builtin_trap();  // the buffer must stay bounded
  }
  return 0;
}
