// The partners other than general practice that keep their own patient index, and their codes.
#pragma once

namespace severn::synth {

enum class Partner : int {
  kAcute,          // RXW The Shrewsbury and Telford Hospital NHS Trust
  kOrthopaedic,    // RL1 The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS FT
  kCommunity,      // R1D Shropshire Community Health NHS Trust
  kShropshireLa,   // E06000051 Shropshire Council (adult social care)
  kTelfordLa,      // E06000020 Telford and Wrekin Council (adult social care)
  kCount
};
inline constexpr int kPartnerCount = static_cast<int>(Partner::kCount);

// ODS code of a trust, ONS code of a council: the partner_code of partners/patients.csv.
const char* partner_code(Partner p);

}  // namespace severn::synth
