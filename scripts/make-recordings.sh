#!/usr/bin/env bash
# Regenerates the seed's placeholder audio guides: a MACHINE VOICE reading a
# site's summary and story, for each language listed in RECORDINGS, written to
# public/sites/audio/{slug}.{lang}.opus (Ogg Opus, mono, 16 kbit/s, speech).
# The seed (server/seed/sites.json) lists them under the site's "audio" with
# "voice": "machine"; the guide says so on the page. A province replaces each
# file with a human recording and sets "voice": "human".
#
# Needs (not installed by scripts/setup.sh; CI never runs this script, the
# files are committed): espeak-ng and opusenc (Debian: apt-get install -y
# espeak-ng opus-tools), and node (already there for the e2e tests).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in espeak-ng opusenc node; do
  command -v "$tool" >/dev/null || { echo "make-recordings: needs $tool (apt-get install -y espeak-ng opus-tools)" >&2; exit 1; }
done

# slug:lang pairs, and espeak-ng's voice for each language.
RECORDINGS="thanh-co-quang-tri:vi thanh-co-quang-tri:en thanh-co-quang-tri:ko thanh-co-quang-tri:zh"
declare -A VOICE=([vi]=vi [en]=en-us [ko]=ko [zh]=cmn)

out=public/sites/audio
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pair in $RECORDINGS; do
  slug=${pair%%:*} lang=${pair##*:}
  # The words the page shows, in reading order: name, summary, then each
  # section's title and body.
  node -e '
    const [slug, lang] = process.argv.slice(1);
    const site = require("./server/seed/sites.json").find((s) => s.slug === slug);
    const t = site && site.text[lang];
    if (!t) { console.error(`no ${lang} text for ${slug}`); process.exit(1); }
    const parts = [t.name, t.summary];
    for (const s of t.sections) parts.push(s.title, s.body);
    process.stdout.write(parts.join("\n\n"));
  ' "$slug" "$lang" > "$tmp/text.txt"
  espeak-ng -v "${VOICE[$lang]}" -s 150 -f "$tmp/text.txt" -w "$tmp/speech.wav"
  # A fixed serial number: the same words give the same file.
  opusenc --quiet --bitrate 16 --downmix-mono --serial 1 \
    --title "$slug ($lang)" --artist "espeak-ng (machine voice, placeholder)" \
    "$tmp/speech.wav" "$out/$slug.$lang.opus"
  echo "$out/$slug.$lang.opus: $(stat -c %s "$out/$slug.$lang.opus") bytes"
done
