import json,sys,collections
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
dt=collections.Counter()
samples=p['samples']; deltas=p['timeDeltas']
for s,d in zip(samples,deltas): dt[s]+=d
selfby=collections.Counter(); urlby=collections.Counter()
for nid,t in dt.items():
    cf=nodes[nid]['callFrame']
    key=f"{cf['functionName'] or '(anon)'} {cf['url'].split('node_modules/')[-1] if 'node_modules' in cf['url'] else cf['url'].split('/')[-1]}:{cf['lineNumber']}"
    selfby[key]+=t
    u=cf['url']
    pkg = u.split('node_modules/')[-1].split('/')[0] if 'node_modules' in u else (u.split('/')[-1] or cf['functionName'])
    if pkg.startswith('@'): pkg='/'.join(u.split('node_modules/')[-1].split('/')[:2])
    urlby[pkg]+=t
tot=sum(dt.values())
print("total ms", tot/1000)
for k,v in urlby.most_common(15): print(f"{v/tot*100:5.1f}% {k}")
print('---')
for k,v in selfby.most_common(25): print(f"{v/tot*100:5.1f}% {k}")
md=('micromark','mdast','unist','hast','remark','rehype','react-markdown','property-information','vfile','trough','unified','decode-named','character-entities','space-separated','comma-separated','estree','devlop','bail','zwitch','longest-streak','markdown-table','ccount','escape-string-regexp','html-url-attributes','inline-style-parser','style-to','trim-lines')
cat=collections.Counter()
for k,v in urlby.items():
    if any(k.startswith(m) for m in md): cat['markdown pipeline']+=v
    elif k in('(idle)',): cat['idle']+=v
    elif k in ('hooks','utils','loader','source_map_cache','(program)','translators','esm','module_job','resolve') : cat['module loading/tsx (startup)']+=v
    elif k.startswith('react'): cat['react']+=v
    elif k.startswith('@remix-run') or k.startswith('turbo-stream'): cat['remix']+=v
    elif k.startswith('@redis') or k.startswith('pg') or k.startswith('kysely'): cat['db clients']+=v
    elif k=='(garbage collector)': cat['gc']+=v
    else: cat['other:'+k]+=v
for k,v in cat.most_common(25): print(f"{v/1000:8.0f} ms {v/tot*100:5.1f}% {k}")
