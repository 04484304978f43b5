"""Calls checked after the callees' bodies (another module, checked first)."""

from erasing_lib_f import Encoder, default_filled, inline, ternary
from neural_aliases_f import Enc, Lens, Spec


def wire(enc: Encoder, spec: Spec, encoded: Enc, lens: Lens) -> None:
    ternary(encoded)  # E: ternary port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    default_filled(spec, encoded)  # E: default_filled port "mask": AcousticEncodedRepresentation is not LengthsType (expected "B" LengthsType, found "B D T" AcousticEncodedRepresentation); also 3 axes where 1 are expected  [neural-element]
    inline(spec)  # E: inline port "x": 3 axes where 2 are expected (expected "B T" SpectrogramType, found "B D T" SpectrogramType)  [neural-axes]
    enc(encoded, lens)  # E: Encoder.forward port "audio": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    enc.describe(encoded)  # E: Encoder.describe port "audio": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    out, out_len = enc(spec, lens)
    ternary(out)  # E: ternary port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    ternary(default_filled(spec))  # E: ternary port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    inline(ternary(spec))  # E: inline port "x": 3 axes where 2 are expected (expected "B T" SpectrogramType, found "B D T" SpectrogramType)  [neural-axes]
