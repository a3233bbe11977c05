"""The Gradio web UI. Tabs only call library APIs; the pure helpers (`render`, `links`,
`conversation`, `uploads`, `server`) hold what little glue logic the UI needs, testable without Gradio."""
