#!/usr/bin/env python3
"""Usage: scripts/xbrl_excerpt.py INSTANCE.xml EXCERPT.xml

An excerpt of a real XBRL instance, small enough to keep as a test fixture: the root element as
filed, its units, the contexts without segment or scenario, every number in them and the dei cover
facts, byte for byte. Dimensional contexts and their facts, text blocks, footnotes and anything
else are left out: the statement reader ignores them, so the excerpt reads as the whole filing."""
import re, sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src, encoding='utf-8').read()
root_start = re.search(r'<([\w.-]+:)?xbrl[\s>]', text)
root_end = text.index('>', root_start.start()) + 1
prefix = root_start.group(1) or ''
out = [text[:root_end], '\n']
m = re.search(r'<link:schemaRef[^>]*/>', text)
if m: out.append('  ' + m.group(0) + '\n')
# Contexts and units in any prefix: a root without one may still write `xbrli:context` (aame-20140630).
ctx_re = re.compile(r'<([\w-]+:|)context\b[^>]*\bid="([^"]+)".*?</\1context>', re.S)
keep = set()
for c in ctx_re.finditer(text):
    body = c.group(0)
    if 'segment>' in body or 'scenario>' in body: continue
    keep.add(c.group(2)); out.append('  ' + body + '\n')
for u in re.finditer(r'<([\w-]+:|)unit\b.*?</\1unit>', text, re.S):
    out.append('  ' + u.group(0) + '\n')
fact_re = re.compile(r'<([\w-]+:[\w-]+)\b[^>]*\bcontextRef="([^"]+)"[^>]*?(?:/>|>.*?</\1>)', re.S)
n = 0
for f in fact_re.finditer(text):
    numeric = 'unitRef=' in f.group(0)[:f.group(0).index('>')]
    if f.group(2) in keep and (numeric or f.group(1).startswith('dei:')):
        out.append('  ' + f.group(0) + '\n'); n += 1
close = '</%sxbrl>\n' % prefix
out.append(close)
open(dst, 'w', encoding='utf-8').write(''.join(out))
print(dst, n, 'facts', len(''.join(out)), 'bytes')
