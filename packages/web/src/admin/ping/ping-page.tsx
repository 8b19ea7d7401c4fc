export default function Page() {
  return <section>ping-page</section>;
}
