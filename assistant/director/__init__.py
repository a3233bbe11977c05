"""The director tools: the Ontwikkelinstrument (placing a situation, the walkthrough, the profile and its
exports) and the Lansingerland category choice. They share the records, the text layer, the embedder and
the language detection with question answering, and nothing else; `guide.guided_reply` is the one entry
the chat calls.
"""
