def run(chunks, text, path, config, rules, collect_values=False):
    return [], []
