// wrangler.toml bundles *.sql as Text modules: a migration's SQL as a string.
declare module '*.sql' {
  const text: string;
  export default text;
}
