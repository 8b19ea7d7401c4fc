export default function Page() {
  return <section>settings-page</section>;
}
